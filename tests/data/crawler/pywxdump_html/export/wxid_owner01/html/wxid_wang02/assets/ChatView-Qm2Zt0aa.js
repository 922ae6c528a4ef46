import{m as a}from"./index-Fx7aQ2kd.js";const r={class:"chat"};export{r as default};
