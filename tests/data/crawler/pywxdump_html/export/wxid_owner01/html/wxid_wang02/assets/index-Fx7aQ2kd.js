(function(){const e=document.createElement("link").relList;if(e&&e.supports&&e.supports("modulepreload"))return;})();const t=window.local_msg_list||[];export{t as m};
